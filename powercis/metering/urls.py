from django.urls import path

from powercis.metering import views

app_name = "metering"
urlpatterns = [
    path("meters/", views.MeterListView.as_view(), name="meters"),
]
