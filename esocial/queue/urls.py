from django.urls import path

from esocial.queue import views

urlpatterns = [
    path("queue/", views.queue_mine, name="queue_mine"),
    path("queue/book/", views.queue_book, name="queue_book"),
    path("queue/<int:pk>/", views.queue_ticket, name="queue_ticket"),
    path("queue/<int:pk>/move/", views.queue_move, name="queue_move"),
    path("queue/<int:pk>/cancel/", views.queue_cancel, name="queue_cancel"),
]
