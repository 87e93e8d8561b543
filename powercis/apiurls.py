from django.urls import path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
urlpatterns: list = [*router.urls]
_ = path
