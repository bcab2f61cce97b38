package catalog;

public record Warehouse(String warehouseId, String region, String location) {}
