"""The transfer app's use cases (every write a user causes), actor first, one transaction each."""
