Feature: login
  Scenario: ok
