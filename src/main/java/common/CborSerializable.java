package common;

/**
 * Marker for every message, event and state that crosses a node or reaches the journal; bound to
 * Akka's jackson-cbor serializer in serialization.conf. Akka 2.8 ships no such marker.
 */
public interface CborSerializable {}
