"""structplan: plan how an agency staffs Account Management and Project Management."""

__version__ = "0.1.0"
