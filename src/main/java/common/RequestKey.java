package common;

/**
 * A client's Idempotency-Key for one request (the IETF draft's header), with a fingerprint of what
 * the request asked (method, path and body): the same key with another fingerprint is a different
 * request sent under a key already used, and is refused.
 */
public record RequestKey(String key, String fingerprint) implements CborSerializable {}
