"""The eight set-up steps, in order. Each is a pane (`StepView`) shown in the middle of the console."""
from .activate import ActivateStep
from .base import StepView
from .connection import ConnectionStep
from .defaults import DefaultsStep
from .division import DivisionStep
from .journal import JournalStep
from .link import LinkStep
from .maintenance import MaintenanceStep
from .products import ProductsStep

STEPS: list[type[StepView]] = [ConnectionStep, DivisionStep, JournalStep, LinkStep, MaintenanceStep, ProductsStep,
                               DefaultsStep, ActivateStep]

__all__ = ["STEPS", "StepView"]
