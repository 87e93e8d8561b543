from django.urls import path

from powercis.customers import views

app_name = "customers"
urlpatterns = [
    path("accounts/", views.AccountListView.as_view(), name="accounts"),
    path("accounts/import/", views.AccountImportView.as_view(), name="account_import"),
    path("accounts/<int:pk>/", views.AccountDetailView.as_view(), name="account"),
    path("accounts/<int:pk>/terms/", views.TermsChangeView.as_view(), name="terms_change"),
    path("customers/", views.CustomerListView.as_view(), name="customers"),
]
