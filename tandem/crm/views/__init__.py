"""Pages of the customer section (客户管理): lists, boards, forms and record pages; they parse input,
call the crm services and selectors, and render."""
