"""The benchmark (`make bench`): its settings, its floor view, its data and its runner.

Nothing here is imported by the platform: the bench runs the project under `bench.settings`,
which adds this app to the project's settings.
"""
