from django.urls import path

from esocial.calculators import views

urlpatterns = [
    path("calculators/pension/", views.pension_calculator, name="pension_calculator"),
    path("calculators/wage/", views.wage_calculator, name="wage_calculator"),
]
