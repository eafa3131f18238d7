/**
 * What the HTTP layer hands over when a JSON body does not parse, so the request still runs
 * through the pipeline and ends in a `request.failed` event instead of vanishing.
 */
export class MalformedJsonBody {
  readonly malformed = true;
}
