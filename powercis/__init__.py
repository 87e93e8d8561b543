"""PowerCIS: electricity marketing and billing system (电力营销业务系统)."""
