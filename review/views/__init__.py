"""Server-rendered pages of the review (review/urls.py): the expert's, the officer's and the fund manager's."""
