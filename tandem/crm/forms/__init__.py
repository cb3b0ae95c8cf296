"""Forms of the customer pages, one module per group of entities. They only parse input; the services
validate the business rules and write."""
