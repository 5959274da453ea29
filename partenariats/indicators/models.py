from django.db import models


class DataVersion(models.Model):
    """The version of the data the indicators count, renewed (at random) after every committed
    change: the cached indicator reports are keyed by it, so every web process sees an edit at once."""

    value = models.PositiveBigIntegerField("version", default=0)

    class Meta:
        verbose_name = "version des données des indicateurs"
        verbose_name_plural = "versions des données des indicateurs"

    def __str__(self):
        return f"Version {self.value}"
