"""Page views of the transfer app: thin, reading through selectors and the access policy, writing through services."""
