"""Demo data of the customer section: the customers (`customers`), then the public pools and sales targets
(`pools`), from the invented sample data in `data`, and the English-speaking tenant's customers
(`northwind`). Each module registers its loader with `tandem.core.demo`."""
