from django.urls import path

from powercis.reading import views

app_name = "reading"
urlpatterns = [
    path("reading/", views.book_list, name="books"),
    path("reading/<int:book_id>/<str:period>/", views.plan_detail, name="plan"),
    path("reading/<int:book_id>/<str:period>/entry/", views.plan_entry, name="plan_entry"),
    path("reading/<int:book_id>/<str:period>/import/", views.plan_import, name="plan_import"),
    path("reading/<int:book_id>/<str:period>/release/", views.plan_release, name="plan_release"),
    path("exceptions/", views.exception_list, name="exceptions"),
    path("exceptions/<int:pk>/accept/", views.exception_accept, name="exception_accept"),
]
