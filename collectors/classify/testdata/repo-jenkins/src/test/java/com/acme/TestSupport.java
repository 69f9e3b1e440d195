package com.acme;
class TestSupport {}
