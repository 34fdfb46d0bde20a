import { pino, type Logger, type LoggerOptions } from "pino";
import type { LogLevel } from "../config/config.js";

/**
 * Paths pino blanks out wherever they appear. Keys and tokens are also never passed to a log
 * call in the first place; this is the second line of defence.
 */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "authorization",
  "token",
  "api_key",
  "apiKey",
  "api_keys",
  "*.api_key",
  "*.api_keys",
  "*.token",
  "*.authorization",
  "data.api_keys",
  "body.api_key",
  "body.api_keys",
  "body.data.api_keys",
  "encryptionKey",
  "*.encryptionKey",
];

export function loggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    base: { service: "onboarding-service" },
  };
}

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return destination === undefined ? pino(loggerOptions(level)) : pino(loggerOptions(level), destination);
}
