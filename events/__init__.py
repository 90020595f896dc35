"""Event Atlas: news articles in, dated and geocoded PLOVER event records out."""

__version__ = "0.1.0"
