"""Org units: sites and the areas inside them (site > area), which people and projects
belong to. Admin pages edit them; projects, users and reports read them."""
