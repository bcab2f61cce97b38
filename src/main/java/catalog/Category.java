package catalog;

public record Category(String categoryId, String name, String description) {}
