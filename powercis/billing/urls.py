from django.urls import path

from powercis.billing.views import adjustments, bills, calc, runs

app_name = "billing"
urlpatterns = [
    # 电费计算 / 电费审核
    path("billing/", runs.billing_home, name="home"),
    path("billing/runs/<int:pk>/", runs.billing_run, name="run"),
    path("review/", runs.review, name="review"),
    path("review/issue/", runs.review_issue, name="review_issue"),
    path("bills/", bills.BillListView.as_view(), name="bills"),
    path("bills/<int:pk>/", runs.bill_detail, name="bill"),
    path("bills/<int:pk>/approve/", runs.bill_approve, name="bill_approve"),
    path("bills/<int:pk>/pdf/", runs.bill_pdf_view, name="bill_pdf"),
    # 电费测算
    path("calc/", calc.calculator, name="calc"),
    # 退补
    path("bills/<int:bill_id>/adjust/", adjustments.adjustment_new, name="adjustment_new"),
    path("adjustments/", adjustments.adjustment_queue, name="adjustments"),
    path("adjustments/<int:pk>/", adjustments.adjustment_detail, name="adjustment"),
    path("adjustments/<int:pk>/approve/", adjustments.adjustment_approve, name="adjustment_approve"),
    path("adjustments/<int:pk>/reject/", adjustments.adjustment_reject, name="adjustment_reject"),
]
