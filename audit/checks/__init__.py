"""checks: rules bound to one edition's facts, each check one small linear system.

``bind`` expands every rule over the edition's keys; ``crossedition`` knows which prior-edition
key a key stands for (it never imports ``bind``). Imports facts, rules, solve and the floor.
"""
