from django.urls import include, path

from callcentre import carecall_views, views

app_name = "callcentre"

urlpatterns = [
    path("", views.console, name="console"),
    path("citizens/<str:fin>/open/", views.open_citizen, name="open"),
    path("citizens/<str:fin>/", views.citizen_view, name="view"),
    path("citizens/<str:fin>/notes/", views.note_add, name="note_add"),
    path("citizens/<str:fin>/complaints/", views.complaint_add, name="complaint_add"),
    path("citizens/<str:fin>/visit/", views.visit_book, name="visit"),
    # Callers of the voice menu who asked for an agent: taking one searches for their FIN.
    path("handovers/<int:pk>/take/", views.handover_take, name="handover_take"),
    # The 142 line's voice menu (IVR): Twilio's voice webhooks, signed by Twilio, no session.
    path("", include("callcentre.ivr.urls")),
    # CareCall: service-quality ratings by SMS, their roll-ups and follow-ups.
    path("carecall/", carecall_views.scores, name="carecall"),
    path("carecall/follow-ups/", carecall_views.follow_up_list, name="carecall_follow_ups"),
    path("carecall/follow-ups/<int:pk>/", carecall_views.follow_up_detail,
         name="carecall_follow_up"),
    path("carecall/follow-ups/<int:pk>/take/", carecall_views.follow_up_take_view,
         name="carecall_follow_up_take"),
    path("carecall/follow-ups/<int:pk>/close/", carecall_views.follow_up_close_view,
         name="carecall_follow_up_close"),
    # Twilio's inbound SMS webhook: the replies. Signed by Twilio, no session.
    path("carecall/sms/", carecall_views.inbound_sms, name="carecall_sms"),
]
