package com.acme;
class RepositoryIT {}
