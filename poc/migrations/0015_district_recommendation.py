"""District recommendation (区县推荐): districts, the ``district_officer`` role group, the call's flag, the opinions."""

import django.db.models.deletion
import django.utils.timezone
import django_fsm
from django.conf import settings
from django.db import migrations, models


DISTRICT_OFFICER = "district_officer"


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=DISTRICT_OFFICER)


def drop_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=DISTRICT_OFFICER).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('poc', '0014_call_grant_ceiling_company_record'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='call',
            name='requires_district_recommendation',
            field=models.BooleanField(default=False, help_text="The science bureau of the applicant's district recommends each submitted application (区县推荐) before the bureau's formal check.", verbose_name='district recommendation required'),
        ),
        migrations.AlterField(
            model_name='application',
            name='state',
            field=django_fsm.FSMField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('recommended', 'Recommended by the district'), ('returned', 'Returned for revision'), ('under_review', 'Under expert review'), ('reviewed', 'Reviewed'), ('public_notice', 'Public notice'), ('objection', 'Objection under examination'), ('approved', 'Approved'), ('cultivation', 'Cultivation pool'), ('rejected', 'Rejected'), ('withdrawn', 'Withdrawn')], default='draft', max_length=50, protected=True, verbose_name='state'),
        ),
        migrations.CreateModel(
            name='District',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='As institutions record it, e.g. 鹿城区.', max_length=100, unique=True, verbose_name='name')),
                ('code', models.CharField(blank=True, help_text='The administrative division code (行政区划代码), e.g. 330302.', max_length=6, verbose_name='division code')),
                ('bureau', models.CharField(blank=True, help_text="The district's science bureau as it signs its opinions, e.g. 鹿城区科技局.", max_length=100, verbose_name='science bureau')),
                ('group', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='district', to='auth.group')),
            ],
            options={
                'verbose_name': 'district',
                'verbose_name_plural': 'districts',
                'ordering': ['code', 'name'],
            },
        ),
        migrations.CreateModel(
            name='DistrictRecommendation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('district', models.CharField(max_length=100, verbose_name='district')),
                ('bureau', models.CharField(max_length=100, verbose_name='science bureau')),
                ('outcome', models.CharField(choices=[('recommended', 'Recommended'), ('declined', 'Not recommended')], max_length=16, verbose_name='conclusion')),
                ('opinion', models.TextField(verbose_name='opinion')),
                ('decided_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='decided at')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='district_recommendations', to='poc.application')),
                ('decided_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'district recommendation',
                'verbose_name_plural': 'district recommendations',
                'ordering': ['decided_at', 'id'],
            },
        ),
        migrations.RunPython(create_role, drop_role),
    ]
