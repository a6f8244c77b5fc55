"""Built-in plugins: the model providers and the drafting features.

Each module here registers through the same hooks as a third-party package
(see :mod:`rai_assistant.hookspecs`); importing a module has no side effects.
"""
