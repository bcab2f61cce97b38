package catalog;

public record User(
    String userId,
    String name,
    String email,
    String region,
    String street,
    String city,
    String state,
    String zipCode) {}
