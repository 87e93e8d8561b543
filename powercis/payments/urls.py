from django.urls import path

from powercis.payments import views

app_name = "payments"
urlpatterns = [
    path("counter/", views.counter, name="counter"),
    path("counter/<int:pk>/pay/", views.counter_pay, name="counter_pay"),
    path("receipts/<int:pk>/", views.ReceiptView.as_view(), name="receipt"),
    path("payments/", views.PaymentListView.as_view(), name="payments"),
]
