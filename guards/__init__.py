"""Built-in guards: each module registers its guards through ``register_guards``, like any plugin."""
