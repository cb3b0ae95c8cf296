"""Views of the finance API (/api/v1/finance/): every write goes through `tandem.finance.services`."""
