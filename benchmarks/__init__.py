"""`make bench`: speed and memory of the bot as ratios to a baseline measured in the same run."""
