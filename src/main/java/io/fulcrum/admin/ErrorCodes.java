package io.fulcrum.admin;

/** The error codes of the admin API: AWS's (ELB, Auto Scaling, EC2) where AWS has one. */
final class ErrorCodes {
    static final String VALIDATION_ERROR = "ValidationError";
    static final String UNAUTHORIZED = "Unauthorized";
    static final String NOT_FOUND = "NotFound";
    static final String METHOD_NOT_ALLOWED = "MethodNotAllowed";
    static final String INTERNAL_FAILURE = "InternalFailure";
    static final String REVISION_CONFLICT = "RevisionConflict";
    static final String REVISION_NOT_FOUND = "RevisionNotFound";
    /** AWS's code for a request the system cannot carry out as it stands; here: the data plane refused it. */
    static final String INVALID_CONFIGURATION_REQUEST = "InvalidConfigurationRequest";
    static final String LOAD_BALANCER_NOT_FOUND = "LoadBalancerNotFound";
    static final String LISTENER_NOT_FOUND = "ListenerNotFound";
    static final String RULE_NOT_FOUND = "RuleNotFound";
    static final String TARGET_GROUP_NOT_FOUND = "TargetGroupNotFound";
    static final String AUTO_SCALING_GROUP_NOT_FOUND = "AutoScalingGroupNotFound";
    static final String LAUNCH_TEMPLATE_NOT_FOUND = "InvalidLaunchTemplateName.NotFoundException";
    static final String DUPLICATE_LOAD_BALANCER_NAME = "DuplicateLoadBalancerName";
    static final String DUPLICATE_LISTENER = "DuplicateListener";
    static final String DUPLICATE_TARGET_GROUP_NAME = "DuplicateTargetGroupName";
    /** Auto Scaling's code for a group name that is taken. */
    static final String ALREADY_EXISTS = "AlreadyExists";
    static final String LAUNCH_TEMPLATE_ALREADY_EXISTS = "InvalidLaunchTemplateName.AlreadyExistsException";
    static final String PRIORITY_IN_USE = "PriorityInUse";
    static final String RESOURCE_IN_USE = "ResourceInUse";
    static final String INVALID_TARGET = "InvalidTarget";
    /** EC2's code for an instance id that does not exist (here: that the group does not have). */
    static final String INSTANCE_NOT_FOUND = "InvalidInstanceID.NotFound";
    /** Fulcrum's: AWS's DeletePolicy answers ValidationError for a policy it does not have. */
    static final String POLICY_NOT_FOUND = "PolicyNotFound";
    /** Fulcrum's: AWS's DeleteScheduledAction answers ValidationError for an action it does not have. */
    static final String SCHEDULED_ACTION_NOT_FOUND = "ScheduledActionNotFound";

    private ErrorCodes() {
    }
}
