import { plural } from "../shared/report-output.js";
import type { StepView, UserInspection } from "./inspect-user.js";
import type { RowView } from "./table-rows.js";

export function verifyReportText(report: UserInspection): string[] {
  const completion = report.is_completed ? `completed ${report.completed_at}` : "not completed";
  const lines = [
    `User ${report.user_id}`,
    `  current step ${report.current_step}, ${report.completion_percentage}% done, ${completion}`,
    `  started ${report.started_at}, last updated ${report.updated_at}`,
    "Steps",
  ];
  for (const step of report.steps) {
    const done = step.completed_at === null ? "" : ` at ${step.completed_at}`;
    const where = step.table === null ? "" : `  ${step.table}: ${stepData(step)}`;
    lines.push(`  ${step.step_number} ${step.title.padEnd(17)} ${step.status}${done}${where}`);
    if (step.validation_errors.length > 0) lines.push(`      validation errors: ${step.validation_errors.join("; ")}`);
  }
  lines.push(...keyVersionLines(report.api_key_versions));
  lines.push("Tables");
  for (const view of report.tables) {
    lines.push(`  ${view.table.padEnd(22)} ${plural(view.rows.length, "row")}`);
    for (const row of view.rows) lines.push(`      ${rowText(row)}`);
  }
  return lines;
}

function keyVersionLines({ current_key_version: current, keys }: UserInspection["api_key_versions"]): string[] {
  if (keys.length === 0) return [];
  const lines = [`API key versions (ENCRYPTION_KEY is version ${current})`];
  for (const key of keys) {
    const state = key.on_current_key ? "current" : "older key: rotate-encryption-key re-seals it";
    lines.push(`  ${key.provider.padEnd(10)} version ${key.key_version}  ${state}`);
  }
  return lines;
}

function stepData(step: StepView): string {
  if (step.data === null) return "no data";
  if (step.step_number !== 1) return short(step.data);
  const keys = Object.entries(step.data.api_keys ?? {});
  return keys.map(([provider, masked]) => `${provider} ${String(masked)}`).join(", ");
}

function rowText(row: RowView): string {
  return Object.entries(row)
    .filter(([, value]) => value !== null)
    .map(([column, value]) => `${column}=${short(value)}`)
    .join(" ");
}

/** Enough of a value to recognise it; `--json` has it whole. */
function short(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(short).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    const inner = entries.map(([key, v]) => (typeof v === "object" && v !== null ? `${key}: {…}` : `${key}: ${short(v)}`)).join(", ");
    return inner.length > 80 ? `{${entries.map(([key]) => key).join(", ")}}` : `{${inner}}`;
  }
  const text = String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
