"""Designated centers (认定的概念验证中心/中试基地) after approval: designation, annual evaluation and its
consequences (rectification, revocation, expiry)."""
