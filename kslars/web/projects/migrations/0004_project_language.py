# The language a project was made in, which names its default and automatic tiers.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0003_video_landmarks'),
    ]

    operations = [
        migrations.AddField(
            model_name='project',
            name='language',
            field=models.CharField(blank=True, default='', max_length=10),
        ),
    ]
