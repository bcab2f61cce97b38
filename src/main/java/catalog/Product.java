package catalog;

import java.math.BigDecimal;

public record Product(
    String productId,
    String name,
    String description,
    BigDecimal price,
    String categoryId,
    String category) {}
