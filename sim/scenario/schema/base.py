"""What every section of a scenario shares: strict tables and the numeric types with bounds.

Units: time in days unless the name says hours or minutes; money in the shop's currency (yuan);
probabilities in [0, 1].
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]
Days = Annotated[float, Field(ge=0.0)]
Money = Annotated[float, Field(ge=0.0)]
Count = Annotated[int, Field(ge=0)]

PLATFORMS = ("taobao", "tmall", "jd", "pdd")


class Strict(BaseModel):
    """Base for every section: unknown keys are rejected, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)
