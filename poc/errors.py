"""Errors a use case raises: a status (as the API answers it) and messages a user can read."""


class DomainError(Exception):
    status = 400

    def __init__(self, *messages, status: int | None = None, field_errors: dict | None = None):
        self.messages = [str(m) for m in messages if m]
        self.field_errors = field_errors or {}
        if status is not None:
            self.status = status
        super().__init__(" ".join(self.messages))

    @property
    def detail(self) -> str:
        return " ".join(self.messages)


class BadInput(DomainError):
    status = 400


class NotAllowed(DomainError):
    status = 403


class NotNow(DomainError):
    """Not possible in the current state, or a condition fails."""

    status = 409


def validate(instance, exclude=None) -> None:
    """Run the model's own validation and answer a failure as :class:`BadInput` with its field errors."""
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise BadInput(*[m for msgs in exc.message_dict.values() for m in msgs],
                       field_errors=exc.message_dict) from None
