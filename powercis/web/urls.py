from django.urls import path

from powercis.web.views import accounts, adjustments, billing, calc, home, payments, reading

app_name = "web"
urlpatterns = [
    path("", home.home, name="home"),
    # 客户档案
    path("accounts/", accounts.account_list, name="accounts"),
    path("accounts/export/", accounts.account_export, name="account_export"),
    path("accounts/import/", accounts.account_import, name="account_import"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account"),
    # 抄表
    path("reading/", reading.book_list, name="books"),
    path("reading/<int:book_id>/<str:period>/", reading.plan_detail, name="plan"),
    path("reading/<int:book_id>/<str:period>/entry/", reading.plan_entry, name="plan_entry"),
    path("reading/<int:book_id>/<str:period>/import/", reading.plan_import, name="plan_import"),
    path("reading/<int:book_id>/<str:period>/release/", reading.plan_release, name="plan_release"),
    path("exceptions/", reading.exception_list, name="exceptions"),
    path("exceptions/<int:pk>/accept/", reading.exception_accept, name="exception_accept"),
    # 电费计算 / 电费审核
    path("billing/", billing.billing_home, name="billing"),
    path("billing/runs/<int:pk>/", billing.billing_run, name="billing_run"),
    path("review/", billing.review, name="review"),
    path("review/issue/", billing.review_issue, name="review_issue"),
    path("bills/<int:pk>/", billing.bill_detail, name="bill"),
    path("bills/<int:pk>/approve/", billing.bill_approve, name="bill_approve"),
    path("bills/<int:pk>/pdf/", billing.bill_pdf_view, name="bill_pdf"),
    # 电费测算
    path("calc/", calc.calculator, name="calc"),
    # 退补
    path("bills/<int:bill_id>/adjust/", adjustments.adjustment_new, name="adjustment_new"),
    path("adjustments/", adjustments.adjustment_queue, name="adjustments"),
    path("adjustments/<int:pk>/", adjustments.adjustment_detail, name="adjustment"),
    path("adjustments/<int:pk>/approve/", adjustments.adjustment_approve, name="adjustment_approve"),
    path("adjustments/<int:pk>/reject/", adjustments.adjustment_reject, name="adjustment_reject"),
    # 收费
    path("counter/", payments.counter, name="counter"),
    path("counter/<int:pk>/pay/", payments.counter_pay, name="counter_pay"),
    path("receipts/<int:pk>/", payments.receipt, name="receipt"),
]
