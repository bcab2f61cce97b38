package order;

import common.CborSerializable;
import java.time.Instant;

/** The carrier's answer to an order's shipment: who carries it and the number to track it by. */
public record Shipment(String carrier, String trackingNumber, Instant shippedAt)
    implements CborSerializable {}
