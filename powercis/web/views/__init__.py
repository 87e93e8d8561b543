"""The staff screens, one module per step of the monthly cycle; each calls the services."""
