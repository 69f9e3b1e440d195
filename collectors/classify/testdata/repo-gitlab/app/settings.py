from app.settings.base import *
