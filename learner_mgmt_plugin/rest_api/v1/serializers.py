"""
Serializers of REST API v1: they shape ``data.py`` objects into JSON and parse request bodies.
"""

from rest_framework import serializers


class MyAssignmentSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    A course assigned to the signed-in learner.
    """

    course_id = serializers.CharField(source="course_key")
    required = serializers.BooleanField()
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    progress = serializers.IntegerField()
    assigned_at = serializers.DateTimeField()
    message = serializers.CharField()
