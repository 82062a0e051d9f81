"""Account security: login lockout (django-axes), the second factor (django-otp) and who must use it.

Above poc (it uses poc's access relations); nothing below imports it."""
