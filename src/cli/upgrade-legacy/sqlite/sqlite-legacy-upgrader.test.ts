import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SecretCipher } from "../../../crypto/secret-cipher.js";
import { createLegacyDatabase } from "../../../test-support/legacy/legacy-fixture.js";
import { openTestDatabase, type TestDatabase } from "../../../test-support/test-database.js";
import { LegacyUpgradeFailed, upgradeLegacy } from "../upgrade-legacy.js";
import { SqliteLegacyUpgrader } from "./sqlite-legacy-upgrader.js";

const key = randomBytes(32);
const cipher = SecretCipher.fromBase64(key.toString("base64"));

describe("the SQLite upgrade's sealed keys file", () => {
  let test: TestDatabase;
  const sealedKeysFiles = () => readdirSync(test.tempDir).filter((name) => name.endsWith(".upgrade-sealed-keys"));

  beforeEach(async () => {
    test = await openTestDatabase("sqlite", { migrate: false });
    await createLegacyDatabase(test.database);
  });

  afterEach(async () => {
    await test.cleanup();
  });

  it("is gone once the upgrade is done", async () => {
    const seen: string[][] = [];
    const upgrader = new SqliteLegacyUpgrader(join(test.tempDir, "test.db"), { backupDir: test.tempDir });
    try {
      await upgradeLegacy(upgrader, { cipher, sealingKey: { key, version: cipher.currentVersion }, pause: (point) => void (point === "before-commit" && seen.push(sealedKeysFiles())) });
    } finally {
      await upgrader.close();
    }
    expect(seen).toEqual([["test.upgrade-sealed-keys"]]);
    expect(sealedKeysFiles()).toEqual([]);
  });

  it("refuses, changing nothing and leaving no file, when the worker sealed with a key that is not the cipher's", async () => {
    const path = join(test.tempDir, "test.db");
    const upgrader = new SqliteLegacyUpgrader(path, { backupDir: test.tempDir });
    try {
      const failure = await upgradeLegacy(upgrader, { cipher, sealingKey: { key: randomBytes(32), version: cipher.currentVersion } }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(LegacyUpgradeFailed);
      expect((failure as LegacyUpgradeFailed).message).toMatch(new RegExp(`does not open with the cipher's key version ${cipher.currentVersion}`));
      expect((failure as LegacyUpgradeFailed).databaseUnchanged).toBe(true);
    } finally {
      await upgrader.close();
    }
    expect(sealedKeysFiles()).toEqual([]);
    const db = new SqliteDatabase(path, { readonly: true });
    const plaintextKeys = db.prepare(`select count(*) from api_keys where "key" is not null`).pluck().get();
    db.close();
    expect(plaintextKeys).toBeGreaterThan(0);
  });
});

describe("the SQLite upgrade's guard against writers", () => {
  let test: TestDatabase;

  afterEach(async () => {
    await test.cleanup();
  });

  it("refuses, changing nothing, when another connection writes after the backup, even without changing a count", async () => {
    test = await openTestDatabase("sqlite", { migrate: false });
    await createLegacyDatabase(test.database);
    const path = join(test.tempDir, "test.db");
    const upgrader = new SqliteLegacyUpgrader(path, { backupDir: test.tempDir });
    const writeElsewhere = () => {
      const other = new SqliteDatabase(path);
      other.prepare(`update api_keys set "key" = 'sk-written-after-the-backup' where id = 2`).run();
      other.close();
    };
    try {
      const failure = await upgradeLegacy(upgrader, { cipher, pause: (point) => point === "after-backup" && writeElsewhere() }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(LegacyUpgradeFailed);
      expect((failure as LegacyUpgradeFailed).message).toMatch(/something wrote to the database after the backup/);
      expect((failure as LegacyUpgradeFailed).databaseUnchanged).toBe(true);
    } finally {
      await upgrader.close();
    }
  });
});
