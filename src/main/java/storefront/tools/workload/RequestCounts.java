package storefront.tools.workload;

/**
 * How the client fared over failures: attempts that reached no node or got a 503, requests that
 * succeeded on a retry, and requests given up after all retries.
 */
public record RequestCounts(long failedAttempts, long succeededOnRetry, long lostAfterRetry) {

  public static final RequestCounts NONE = new RequestCounts(0, 0, 0);

  /** What happened between an earlier reading and this one. */
  public RequestCounts since(RequestCounts earlier) {
    return new RequestCounts(
        failedAttempts - earlier.failedAttempts,
        succeededOnRetry - earlier.succeededOnRetry,
        lostAfterRetry - earlier.lostAfterRetry);
  }
}
