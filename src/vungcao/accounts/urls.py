from django.contrib.auth import views as auth_views
from django.urls import path

from vungcao.accounts.views import profile, users

app_name = "accounts"
urlpatterns = [
    path("login/", profile.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", profile.profile, name="profile"),
    path("me/password/", profile.PasswordChangeView.as_view(), name="password-change"),
    path("me/tokens/<int:token_id>/revoke/", profile.token_revoke, name="token-revoke"),
    path("users/", users.user_list, name="user-list"),
    path("users/new/", users.user_create, name="user-create"),
    path("users/changes/", users.user_changes, name="user-changes"),
    path("users/scopes/", users.scope_search, name="scope-search"),
    path("users/u/<str:username>/", users.user_detail, name="user-detail"),
    path("users/u/<str:username>/deactivate/", users.user_deactivate, name="user-deactivate"),
    path("users/u/<str:username>/reactivate/", users.user_reactivate, name="user-reactivate"),
    path("users/u/<str:username>/password/", users.user_password_reset, name="user-password"),
]
