from django.urls import path

from tandem.finance.views import actions, budget, earned_value, lines, portfolio, records, templates

app_name = "finance"

urlpatterns = [
    path("", portfolio.portfolio_page, name="portfolio"),
    path("export/", portfolio.portfolio_export, name="portfolio_export"),
    # The records.
    path("change-orders/", records.change_order_list, name="change_order_list"),
    path("change-orders/<int:pk>/", records.change_order_detail, name="change_order_detail"),
    path("change-orders/<int:pk>/edit/", actions.change_order_update, name="change_order_update"),
    path("change-orders/<int:pk>/submit/", actions.change_order_submit, name="change_order_submit"),
    path("change-orders/<int:pk>/approve/", actions.change_order_approve, name="change_order_approve"),
    path("change-orders/<int:pk>/reject/", actions.change_order_reject, name="change_order_reject"),
    path("change-orders/<int:pk>/void/", actions.change_order_void, name="change_order_void"),
    path("commitments/", records.commitment_list, name="commitment_list"),
    path("commitments/<int:pk>/edit/", actions.commitment_update, name="commitment_update"),
    path("commitments/<int:pk>/move/", actions.commitment_move, name="commitment_move"),
    path("commitments/<int:pk>/", records.commitment_detail, name="commitment_detail"),
    path("costs/", records.cost_record_list, name="cost_record_list"),
    path("costs/<int:pk>/edit/", actions.cost_record_update, name="cost_record_update"),
    path("costs/<int:pk>/delete/", actions.cost_record_delete, name="cost_record_delete"),
    path("cost-codes/", records.cost_code_tree, name="cost_code_tree"),
    path("cost-codes/new/", records.cost_code_create, name="cost_code_create"),
    path("cost-codes/<int:pk>/edit/", records.cost_code_update, name="cost_code_update"),
    path("cost-codes/<int:pk>/delete/", records.cost_code_delete, name="cost_code_delete"),
    path("settings/", records.cost_settings, name="settings"),
    # A project's money.
    path("projects/<int:pk>/budget/", budget.budget_page, name="budget"),
    path("projects/<int:pk>/budget/cell/", budget.budget_cell, name="budget_cell"),
    path("projects/<int:pk>/budget/export/", budget.budget_export, name="budget_export"),
    path("projects/<int:pk>/budget/lines/", lines.budget_lines, name="budget_lines"),
    path("projects/<int:pk>/budget/start/", lines.budget_start, name="budget_start"),
    path("projects/<int:pk>/budget/edit/", lines.budget_edit, name="budget_edit"),
    path("projects/<int:pk>/budget/lock/", lines.budget_lock, name="budget_lock"),
    path("projects/<int:pk>/budget/lines/new/", lines.line_create, name="line_create"),
    path("projects/<int:pk>/budget/lines/<int:line_id>/edit/", lines.line_update, name="line_update"),
    path("projects/<int:pk>/budget/lines/<int:line_id>/delete/", lines.line_delete, name="line_delete"),
    path("projects/<int:pk>/budget/modifications/new/", lines.modification_create, name="modification_create"),
    path("projects/<int:pk>/change-orders/new/", actions.change_order_create, name="change_order_create"),
    path("projects/<int:pk>/costs/new/", actions.cost_record_create, name="cost_record_create"),
    path("projects/<int:pk>/commitments/new/", actions.commitment_create, name="commitment_create"),
    path("projects/<int:pk>/earned-value/", earned_value.earned_value_page, name="earned_value"),
    path("projects/<int:pk>/earned-value/export/", earned_value.earned_value_export, name="earned_value_export"),
    # A project template's default budget lines.
    path("templates/<int:pk>/lines/new/", templates.template_line_create, name="template_line_create"),
    path("templates/<int:pk>/lines/<int:line_id>/delete/", templates.template_line_delete, name="template_line_delete"),
]
