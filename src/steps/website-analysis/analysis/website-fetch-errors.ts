import { ValidationFailed } from "../../../errors/app-errors.js";

/**
 * The URL itself is not allowed (scheme, credentials, or an address we never fetch): the client's
 * fault, answered as 400 on the `website` field. The reason is a clause for a person: it names
 * no URL, host or resolved address (SPEC §10), so it neither maps an internal network nor
 * repeats what the person typed back at them.
 */
export class WebsiteFetchRefused extends ValidationFailed {
  constructor(reason: string) {
    const message = `This website cannot be analysed: ${reason}`;
    super(message, [{ path: "website", message }]);
  }
}

export type WebsiteFetchFailureKind =
  | "dns"
  | "network"
  | "timeout"
  | "status"
  | "too_many_redirects"
  | "too_large"
  | "not_html"
  | "unreadable";

/**
 * The URL was allowed but the page could not be read. Analysis reports it as a `failed` status
 * rather than an error, since retrying later may well succeed.
 */
export class WebsiteFetchFailed extends Error {
  readonly kind: WebsiteFetchFailureKind;

  constructor(kind: WebsiteFetchFailureKind, message: string) {
    super(message);
    this.name = "WebsiteFetchFailed";
    this.kind = kind;
  }
}
